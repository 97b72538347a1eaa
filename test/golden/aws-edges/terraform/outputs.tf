output "vpc_id" {
  description = "ID of VPC vpc"
  value       = aws_vpc.vpc.id
}

output "data_vpc_id" {
  description = "ID of VPC data-vpc"
  value       = aws_vpc.data_vpc.id
}

output "web_a_id" {
  description = "ID of subnet web-a"
  value       = aws_subnet.web_a.id
}

output "web_b_id" {
  description = "ID of subnet web-b"
  value       = aws_subnet.web_b.id
}

output "app_id" {
  description = "ID of subnet app"
  value       = aws_subnet.app.id
}

output "data_id" {
  description = "ID of subnet data"
  value       = aws_subnet.data.id
}

output "gw_public_ip" {
  description = "Public address of reverse-proxy gw"
  value       = aws_eip.gw.public_ip
}

output "edge_cache_public_ip" {
  description = "Public address of cache edge-cache"
  value       = aws_eip.edge_cache.public_ip
}

output "alb_dns_name" {
  description = "DNS name of balancer alb"
  value       = aws_lb.alb.dns_name
}
