output "app_vpc_id" {
  description = "ID of VPC App VPC (app-vpc)"
  value       = aws_vpc.app_vpc.id
}

output "public_a_id" {
  description = "ID of subnet Public A (public-a)"
  value       = aws_subnet.public_a.id
}

output "public_b_id" {
  description = "ID of subnet Public B (public-b)"
  value       = aws_subnet.public_b.id
}

output "app_a_id" {
  description = "ID of subnet App A (app-a)"
  value       = aws_subnet.app_a.id
}

output "app_b_id" {
  description = "ID of subnet App B (app-b)"
  value       = aws_subnet.app_b.id
}

output "db_a_id" {
  description = "ID of subnet Data A (db-a)"
  value       = aws_subnet.db_a.id
}

output "nat_public_ip" {
  description = "Public address of NAT gateway NAT gateway (nat)"
  value       = aws_eip.nat.public_ip
}

output "web_lb_dns_name" {
  description = "DNS name of balancer Load balancer (web-lb)"
  value       = aws_lb.web_lb.dns_name
}
