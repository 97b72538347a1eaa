output "vpc_main_id" {
  description = "ID of VPC Main VPC (vpc-main)"
  value       = aws_vpc.vpc_main.id
}

output "vpc_big_id" {
  description = "ID of VPC Too large (vpc-size) (vpc-big)"
  value       = aws_vpc.vpc_big.id
}

output "vpc_overlap_id" {
  description = "ID of VPC Overlaps Main (vpc-overlap) (vpc-overlap)"
  value       = aws_vpc.vpc_overlap.id
}

output "vpc_public_id" {
  description = "ID of VPC Public space (vpc-not-private) (vpc-public)"
  value       = aws_vpc.vpc_public.id
}

output "vpc_typo_id" {
  description = "ID of VPC Typo (cidr-invalid) (vpc-typo)"
  value       = aws_vpc.vpc_typo.id
}

output "public_id" {
  description = "ID of subnet Public (public)"
  value       = aws_subnet.public.id
}

output "host_bits_id" {
  description = "ID of subnet Host bits set (cidr-host-bits) (host-bits)"
  value       = aws_subnet.host_bits.id
}

output "overlap_a_id" {
  description = "ID of subnet Overlap A (overlap-a)"
  value       = aws_subnet.overlap_a.id
}

output "overlap_b_id" {
  description = "ID of subnet Overlap B (subnet-overlap) (overlap-b)"
  value       = aws_subnet.overlap_b.id
}

output "outside_id" {
  description = "ID of subnet Outside the VPC (subnet-outside-vpc) (outside)"
  value       = aws_subnet.outside.id
}

output "tiny_id" {
  description = "ID of subnet Too small (subnet-too-small) (tiny)"
  value       = aws_subnet.tiny.id
}

output "private_id" {
  description = "ID of subnet Private (private)"
  value       = aws_subnet.private.id
}

output "big_sub_id" {
  description = "ID of subnet Too large subnet (subnet-size) (big-sub)"
  value       = aws_subnet.big_sub.id
}

output "no_table_id" {
  description = "ID of subnet No route table (route-table-missing) (no-table)"
  value       = aws_subnet.no_table.id
}

output "nat_private_public_ip" {
  description = "Public address of NAT gateway NAT in a private subnet (nat-private)"
  value       = aws_eip.nat_private.public_ip
}

output "lb_private_dns_name" {
  description = "DNS name of balancer Public LB in a private subnet (lb-private)"
  value       = aws_lb.lb_private.dns_name
}
