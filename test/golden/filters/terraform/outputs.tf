output "vpc_a_id" {
  description = "ID of VPC front (vpc-a)"
  value       = aws_vpc.vpc_a.id
}

output "vpc_b_id" {
  description = "ID of VPC shared (vpc-b)"
  value       = aws_vpc.vpc_b.id
}

output "pub_a_id" {
  description = "ID of subnet pub-a"
  value       = aws_subnet.pub_a.id
}

output "pub_b_id" {
  description = "ID of subnet pub-b"
  value       = aws_subnet.pub_b.id
}

output "app_id" {
  description = "ID of subnet app"
  value       = aws_subnet.app.id
}

output "shared_sub_id" {
  description = "ID of subnet shared-sub"
  value       = aws_subnet.shared_sub.id
}

output "nlb_dns_name" {
  description = "DNS name of balancer nlb"
  value       = aws_lb.nlb.dns_name
}
