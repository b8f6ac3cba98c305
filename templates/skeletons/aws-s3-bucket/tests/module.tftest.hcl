# `terraform test`: plans the module against a mocked AWS provider (no credentials needed).

mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  bucket_name       = "${{ values.name }}-test"
  kms_key_arn       = "arn:aws:kms:${{ values.region }}:111122223333:key/00000000-0000-0000-0000-000000000000"
  access_log_bucket = "${{ values.name }}-test-logs"
}

run "private_encrypted_versioned" {
  command = plan

  assert {
    condition     = aws_s3_bucket_public_access_block.this.restrict_public_buckets
    error_message = "The bucket must block public access."
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms"
    error_message = "Objects must be encrypted with KMS."
  }

  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled"
    error_message = "The bucket must be versioned."
  }
}

run "rejects_an_invalid_bucket_name" {
  command = plan

  variables {
    bucket_name = "Not_A_Bucket"
  }

  expect_failures = [var.bucket_name]
}

run "rejects_a_key_that_is_not_kms" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:iam::111122223333:role/not-a-key"
  }

  expect_failures = [var.kms_key_arn]
}
