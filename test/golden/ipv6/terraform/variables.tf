variable "region" {
  description = "AWS region to deploy to"
  type        = string
}

variable "availability_zones" {
  description = "Availability zones for the design's zones, in this order: a, b. A subnet that names no zone has a slot of its own; repeat a zone name to share one"
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2
    error_message = "The design uses 2 zone(s): give at least that many."
  }
}

variable "ami_id" {
  description = "AMI for servers, proxies and auto-scaling instances (one that runs your app or nginx/HAProxy)"
  type        = string
}

variable "instance_type" {
  description = "EC2 instance type"
  type        = string
  default     = "t3.micro"
}

variable "tags" {
  description = "Tags added to every resource"
  type        = map(string)

  default = {
    managed-by = "topolab"
  }
}

variable "net6_ipv4_cidr" {
  description = "IPv4 block for VPC net6: AWS requires one even for an IPv6 design"
  type        = string
}

variable "ipv6_ipam_pool_id" {
  description = "IPAM pool holding the design's IPv6 blocks (BYOIP)"
  type        = string
}
