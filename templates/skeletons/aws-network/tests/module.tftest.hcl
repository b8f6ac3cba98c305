# `terraform test`: plans the module against a mocked AWS provider (no credentials needed).

mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = {
      names = ["${{ values.region }}a", "${{ values.region }}b", "${{ values.region }}c"]
    }
  }

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  name        = "${{ values.name }}-test"
  kms_key_arn = "arn:aws:kms:${{ values.region }}:111122223333:key/00000000-0000-0000-0000-000000000000"
}

run "subnets_per_zone_without_public_addresses" {
  command = plan

  variables {
    availability_zone_count = 2
  }

  assert {
    condition     = length(aws_subnet.private) == 2 && length(aws_subnet.public) == 2
    error_message = "Each zone must have a public and a private subnet."
  }

  assert {
    condition     = alltrue([for s in aws_subnet.public : s.map_public_ip_on_launch == false])
    error_message = "Public subnets must not assign public addresses by themselves."
  }

  assert {
    condition     = aws_flow_log.this.traffic_type == "ALL"
    error_message = "Every flow must be logged."
  }
}

run "rejects_a_range_too_large" {
  command = plan

  variables {
    cidr_block = "10.0.0.0/8"
  }

  expect_failures = [var.cidr_block]
}

run "rejects_a_single_zone" {
  command = plan

  variables {
    availability_zone_count = 1
  }

  expect_failures = [var.availability_zone_count]
}
