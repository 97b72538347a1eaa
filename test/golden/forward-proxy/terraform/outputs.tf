output "vpc_id" {
  description = "ID of VPC Build VPC (vpc)"
  value       = aws_vpc.vpc.id
}

output "dmz_id" {
  description = "ID of subnet Egress DMZ (dmz)"
  value       = aws_subnet.dmz.id
}

output "builders_id" {
  description = "ID of subnet Builders (no internet route) (builders)"
  value       = aws_subnet.builders.id
}
