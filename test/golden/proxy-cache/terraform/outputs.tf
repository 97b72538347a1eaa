output "vpc_id" {
  description = "ID of VPC vpc"
  value       = aws_vpc.vpc.id
}

output "edge_id" {
  description = "ID of subnet edge"
  value       = aws_subnet.edge.id
}

output "apps_id" {
  description = "ID of subnet apps"
  value       = aws_subnet.apps.id
}

output "gw_public_ip" {
  description = "Public address of reverse-proxy API gateway (gw)"
  value       = aws_eip.gw.public_ip
}
