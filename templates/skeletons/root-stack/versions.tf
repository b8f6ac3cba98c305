terraform {
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.70"
    }
  }

  # State in S3, encrypted, locked with S3's conditional writes (no DynamoDB table).
  backend "s3" {
    bucket       = "${{ values.stateBucket }}"
    key          = "${{ values.tenant }}/${{ values.name }}/terraform.tfstate"
    region       = "${{ values.region }}"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id]

  default_tags {
    tags = {
      "infra-hub.io/tenant" = "${{ values.tenant }}"
      "infra-hub.io/stack"  = "${{ values.name }}"
      Environment           = var.environment
      System                = "${{ values.system.split('/') | last }}"
      ManagedBy             = "terraform"
    }
  }
}
