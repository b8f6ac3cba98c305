# A change the partner team proposed: a gateway database, its admin security group and an export
# bucket. It is misconfigured on purpose (a public, unencrypted database; SSH open to the
# internet; a bucket without encryption or a public-access block): the compliance rules flag it
# in code (infra-scan on this folder) and in its plan (plans/partner-gateway.plan.json, made with
# `terraform plan -refresh=false` and `terraform show -json` from this folder).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "plan-only"
  secret_key                  = "plan-only"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

resource "aws_s3_bucket" "exports" {
  bucket = "cartwheel-partner-exports"
}

resource "aws_security_group" "admin" {
  name        = "partner-admin"
  description = "Administrative access for the partner gateway"

  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "partners" {
  identifier             = "partner-gateway"
  engine                 = "postgres"
  engine_version         = "16.3"
  instance_class         = "db.t4g.micro"
  allocated_storage      = 20
  username               = "gateway"
  manage_master_user_password = true
  publicly_accessible    = true
  storage_encrypted      = false
  skip_final_snapshot    = true
  vpc_security_group_ids = [aws_security_group.admin.id]
}
