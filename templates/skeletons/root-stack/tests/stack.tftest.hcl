# `terraform test` (after `terraform init`): plans the stack against a mocked AWS provider and
# checks that its variables refuse what they must.

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

run "plans_the_environment" {
  command = plan

  assert {
    condition     = local.name == "${{ values.tenant }}-${{ values.environment }}"
    error_message = "Resources must be named after the tenant and the environment."
  }
}

run "rejects_an_unknown_environment" {
  command = plan

  variables {
    environment = "qa"
  }

  expect_failures = [var.environment]
}

run "rejects_an_account_id_that_is_not_one" {
  command = plan

  variables {
    account_id = "12345"
  }

  expect_failures = [var.account_id]
}
