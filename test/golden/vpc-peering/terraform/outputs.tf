output "app_vpc_id" {
  description = "ID of VPC App VPC (app-vpc)"
  value       = aws_vpc.app_vpc.id
}

output "data_vpc_id" {
  description = "ID of VPC Data VPC (data-vpc)"
  value       = aws_vpc.data_vpc.id
}

output "app_subnet_id" {
  description = "ID of subnet App subnet (app-subnet)"
  value       = aws_subnet.app_subnet.id
}

output "data_subnet_id" {
  description = "ID of subnet Data subnet (data-subnet)"
  value       = aws_subnet.data_subnet.id
}
