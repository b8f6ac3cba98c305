# `terraform test`: plans the module against a mocked AWS provider (no credentials needed).

mock_provider "aws" {}

variables {
  identifier                 = "${{ values.name }}-test"
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  allowed_security_group_ids = ["sg-0123456789abcdef0"]
  kms_key_arn                = "arn:aws:kms:${{ values.region }}:111122223333:key/00000000-0000-0000-0000-000000000000"
}

run "private_encrypted_protected" {
  command = plan

  assert {
    condition     = aws_db_instance.this.publicly_accessible == false
    error_message = "The instance must not be publicly accessible."
  }

  assert {
    condition     = aws_db_instance.this.storage_encrypted && aws_db_instance.this.kms_key_id == var.kms_key_arn
    error_message = "Storage must be encrypted with the given key."
  }

  assert {
    condition     = aws_db_instance.this.manage_master_user_password
    error_message = "RDS must keep the master password in Secrets Manager."
  }

  assert {
    condition     = aws_db_instance.this.deletion_protection && aws_db_instance.this.iam_database_authentication_enabled
    error_message = "Deletion protection and IAM authentication must be on."
  }
}

run "rejects_one_subnet" {
  command = plan

  variables {
    subnet_ids = ["subnet-0123456789abcdef0"]
  }

  expect_failures = [var.subnet_ids]
}

run "rejects_short_backups" {
  command = plan

  variables {
    backup_retention_days = 1
  }

  expect_failures = [var.backup_retention_days]
}
