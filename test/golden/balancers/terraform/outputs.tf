output "vpc_id" {
  description = "ID of VPC vpc"
  value       = aws_vpc.vpc.id
}

output "net_id" {
  description = "ID of subnet net"
  value       = aws_subnet.net.id
}

output "rr_dns_name" {
  description = "DNS name of balancer rr"
  value       = aws_lb.rr.dns_name
}

output "wrr_dns_name" {
  description = "DNS name of balancer wrr"
  value       = aws_lb.wrr.dns_name
}

output "lc_dns_name" {
  description = "DNS name of balancer lc"
  value       = aws_lb.lc.dns_name
}

output "sh_dns_name" {
  description = "DNS name of balancer sh"
  value       = aws_lb.sh.dns_name
}

output "r2_dns_name" {
  description = "DNS name of balancer r2"
  value       = aws_lb.r2.dns_name
}

output "sticky_dns_name" {
  description = "DNS name of balancer sticky"
  value       = aws_lb.sticky.dns_name
}

output "l4rr_dns_name" {
  description = "DNS name of balancer l4rr"
  value       = aws_lb.l4rr.dns_name
}

output "l4sh_dns_name" {
  description = "DNS name of balancer l4sh"
  value       = aws_lb.l4sh.dns_name
}

output "wrr0_dns_name" {
  description = "DNS name of balancer wrr0"
  value       = aws_lb.wrr0.dns_name
}

output "drained_dns_name" {
  description = "DNS name of balancer drained"
  value       = aws_lb.drained.dns_name
}

output "sticky0_dns_name" {
  description = "DNS name of balancer sticky0"
  value       = aws_lb.sticky0.dns_name
}
