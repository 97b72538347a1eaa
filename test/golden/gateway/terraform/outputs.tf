output "vpc_id" {
  description = "ID of VPC vpc"
  value       = aws_vpc.vpc.id
}

output "net_id" {
  description = "ID of subnet net"
  value       = aws_subnet.net.id
}
