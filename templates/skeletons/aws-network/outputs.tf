output "vpc_id" {
  description = "Id of the VPC."
  value       = aws_vpc.this.id
}

output "public_subnet_ids" {
  description = "Public subnets, one per availability zone (for load balancers and NAT)."
  value       = [for s in aws_subnet.public : s.id]
}

output "private_subnet_ids" {
  description = "Private subnets, one per availability zone (for workloads and databases)."
  value       = [for s in aws_subnet.private : s.id]
}

output "flow_log_group_name" {
  description = "CloudWatch Logs group of the VPC's flow logs."
  value       = aws_cloudwatch_log_group.flow_logs.name
}
