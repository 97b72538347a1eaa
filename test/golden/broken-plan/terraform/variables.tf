variable "region" {
  description = "AWS region to deploy to (the design names us-east-1, us-west-2, eu-west-1)"
  type        = string
}

variable "availability_zones" {
  description = "Availability zones for the design's zones, in this order: (subnet public: no zone named), (subnet host-bits: no zone named), (subnet overlap-a: no zone named), (subnet overlap-b: no zone named), (subnet outside: no zone named), (subnet tiny: no zone named), (subnet private: no zone named), (subnet big-sub: no zone named), (subnet no-table: no zone named). A subnet that names no zone has a slot of its own; repeat a zone name to share one"
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 9
    error_message = "The design uses 9 zone(s): give at least that many."
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
