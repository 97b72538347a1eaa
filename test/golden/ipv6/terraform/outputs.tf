output "net6_id" {
  description = "ID of VPC net6"
  value       = aws_vpc.net6.id
}

output "front6_id" {
  description = "ID of subnet front6"
  value       = aws_subnet.front6.id
}

output "back6_id" {
  description = "ID of subnet back6"
  value       = aws_subnet.back6.id
}

output "lb6_dns_name" {
  description = "DNS name of balancer lb6"
  value       = aws_lb.lb6.dns_name
}
