variable "region" {
  description = "AWS region to deploy to"
  type        = string
}

variable "availability_zones" {
  description = "Availability zones for the design's zones, in this order: (subnet public: no zone named), (subnet internal: no zone named). A subnet that names no zone has a slot of its own; repeat a zone name to share one"
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

variable "api_gw_api_key_authorizer_arn" {
  description = "ARN of the Lambda function that checks API keys for API gateway api-gw (the export does not write it: HTTP APIs have no native check)"
  type        = string
}

variable "api_gw_hs256_authorizer_arn" {
  description = "ARN of the Lambda function that checks HS256 tokens for API gateway api-gw (the export does not write it: HTTP APIs have no native check)"
  type        = string
}

variable "api_gw_basic_authorizer_arn" {
  description = "ARN of the Lambda function that checks HTTP basic credentials for API gateway api-gw (the export does not write it: HTTP APIs have no native check)"
  type        = string
}
