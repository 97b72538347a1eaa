output "vpc_id" {
  description = "ID of VPC vpc"
  value       = aws_vpc.vpc.id
}

output "net_id" {
  description = "ID of subnet net"
  value       = aws_subnet.net.id
}

output "gw_public_ip" {
  description = "Public address of reverse-proxy gw"
  value       = aws_eip.gw.public_ip
}
