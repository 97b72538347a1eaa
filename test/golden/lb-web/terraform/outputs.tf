output "vpc_main_id" {
  description = "ID of VPC main (vpc-main)"
  value       = aws_vpc.vpc_main.id
}

output "public_a_id" {
  description = "ID of subnet public a (public-a)"
  value       = aws_subnet.public_a.id
}

output "private_a_id" {
  description = "ID of subnet private a (private-a)"
  value       = aws_subnet.private_a.id
}

output "private_b_id" {
  description = "ID of subnet private b (private-b)"
  value       = aws_subnet.private_b.id
}

output "nat_a_public_ip" {
  description = "Public address of NAT gateway nat-a"
  value       = aws_eip.nat_a.public_ip
}

output "web_lb_dns_name" {
  description = "DNS name of balancer web balancer (web-lb)"
  value       = aws_lb.web_lb.dns_name
}

output "db_lb_dns_name" {
  description = "DNS name of balancer tcp balancer (db-lb)"
  value       = aws_lb.db_lb.dns_name
}
