output "v_1_id" {
  description = "ID of VPC a;} \"vpc\" {x} (v:1)"
  value       = aws_vpc.v_1.id
}

output "s_1_id" {
  description = "ID of subnet sub } { net (s.1)"
  value       = aws_subnet.s_1.id
}

output "lb_x_dns_name" {
  description = "DNS name of balancer a;} server { listen 1; } (lb:x)"
  value       = aws_lb.lb_x.dns_name
}
