output "shop_vpc_id" {
  description = "ID of VPC Shop VPC (shop-vpc)"
  value       = aws_vpc.shop_vpc.id
}

output "public_a_id" {
  description = "ID of subnet Public A (public-a)"
  value       = aws_subnet.public_a.id
}

output "public_b_id" {
  description = "ID of subnet Public B (public-b)"
  value       = aws_subnet.public_b.id
}

output "app_a_id" {
  description = "ID of subnet App A (app-a)"
  value       = aws_subnet.app_a.id
}

output "data_a_id" {
  description = "ID of subnet Data A (data-a)"
  value       = aws_subnet.data_a.id
}

output "shop_lb_dns_name" {
  description = "DNS name of balancer Shop balancer (shop-lb)"
  value       = aws_lb.shop_lb.dns_name
}
