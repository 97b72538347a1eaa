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

output "api_gw_api_endpoint" {
  description = "Endpoint of API gateway API gateway (api-gw)"
  value       = aws_apigatewayv2_api.api_gw.api_endpoint
}
