output "vpc_a_id" {
  description = "ID of VPC shop (vpc-a)"
  value       = aws_vpc.vpc_a.id
}

output "vpc_b_id" {
  description = "ID of VPC payments (vpc-b)"
  value       = aws_vpc.vpc_b.id
}

output "a_app_id" {
  description = "ID of subnet a-app"
  value       = aws_subnet.a_app.id
}

output "b_app_id" {
  description = "ID of subnet b-app"
  value       = aws_subnet.b_app.id
}

output "front_dns_name" {
  description = "DNS name of balancer front"
  value       = aws_lb.front.dns_name
}

output "pay_lb_dns_name" {
  description = "DNS name of balancer pay-lb"
  value       = aws_lb.pay_lb.dns_name
}
