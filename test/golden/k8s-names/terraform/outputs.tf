output "vpc_id" {
  description = "ID of VPC vpc"
  value       = aws_vpc.vpc.id
}

output "front_a_id" {
  description = "ID of subnet front-a"
  value       = aws_subnet.front_a.id
}

output "front_b_id" {
  description = "ID of subnet front-b"
  value       = aws_subnet.front_b.id
}

output "back_id" {
  description = "ID of subnet back"
  value       = aws_subnet.back.id
}

output "n_9lb_dns_name" {
  description = "DNS name of balancer 9lb"
  value       = aws_lb.n_9lb.dns_name
}
