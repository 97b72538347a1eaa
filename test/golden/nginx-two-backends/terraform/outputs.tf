output "vpc_id" {
  description = "ID of VPC Lab VPC (vpc)"
  value       = aws_vpc.vpc.id
}

output "public_id" {
  description = "ID of subnet Public (public)"
  value       = aws_subnet.public.id
}

output "backend_id" {
  description = "ID of subnet Backends (backend)"
  value       = aws_subnet.backend.id
}

output "public_b_id" {
  description = "ID of subnet Public (second zone) (public-b)"
  value       = aws_subnet.public_b.id
}

output "nginx_dns_name" {
  description = "DNS name of balancer nginx"
  value       = aws_lb.nginx.dns_name
}
