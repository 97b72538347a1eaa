output "web_vpc_id" {
  description = "ID of VPC Web VPC (web-vpc)"
  value       = aws_vpc.web_vpc.id
}

output "public_a_id" {
  description = "ID of subnet Public A (public-a)"
  value       = aws_subnet.public_a.id
}

output "public_b_id" {
  description = "ID of subnet Public B (public-b)"
  value       = aws_subnet.public_b.id
}

output "private_a_id" {
  description = "ID of subnet Private A (private-a)"
  value       = aws_subnet.private_a.id
}

output "private_b_id" {
  description = "ID of subnet Private B (private-b)"
  value       = aws_subnet.private_b.id
}

output "nat_public_ip" {
  description = "Public address of NAT gateway NAT gateway (nat)"
  value       = aws_eip.nat.public_ip
}

output "web_lb_dns_name" {
  description = "DNS name of balancer Web balancer (web-lb)"
  value       = aws_lb.web_lb.dns_name
}
