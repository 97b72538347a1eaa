output "vpc_id" {
  description = "ID of VPC Cache VPC (vpc)"
  value       = aws_vpc.vpc.id
}

output "edge_id" {
  description = "ID of subnet Edge (edge)"
  value       = aws_subnet.edge.id
}

output "origin_net_id" {
  description = "ID of subnet Origin (origin-net)"
  value       = aws_subnet.origin_net.id
}

output "cache_public_ip" {
  description = "Public address of cache HTTP cache (cache)"
  value       = aws_eip.cache.public_ip
}
