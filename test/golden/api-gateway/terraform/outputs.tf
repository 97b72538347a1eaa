output "vpc_id" {
  description = "ID of VPC Shop VPC (vpc)"
  value       = aws_vpc.vpc.id
}

output "public_id" {
  description = "ID of subnet Public (public)"
  value       = aws_subnet.public.id
}

output "internal_id" {
  description = "ID of subnet Internal (internal)"
  value       = aws_subnet.internal.id
}

output "api_gw_public_ip" {
  description = "Public address of reverse-proxy API gateway (api-gw)"
  value       = aws_eip.api_gw.public_ip
}
