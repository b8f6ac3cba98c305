# expect: none
resource "aws_db_instance" "good" {
  identifier                          = "corpus-good"
  engine                              = "postgres"
  instance_class                      = "db.t3.medium"
  allocated_storage                   = 20
  storage_encrypted                   = true
  publicly_accessible                 = false
  deletion_protection                 = true
  backup_retention_period             = 14
  multi_az                            = true
  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["postgresql"]
  copy_tags_to_snapshot               = true
}

# expect: aws-rds-instance-public, aws-rds-instance-encrypted, aws-rds-instance-backups, aws-rds-instance-deletion-protection, aws-rds-instance-multi-az, aws-rds-instance-iam-auth, aws-rds-instance-log-export, aws-rds-instance-minor-upgrades, aws-rds-instance-copy-tags
resource "aws_db_instance" "exposed" {
  identifier                 = "corpus-exposed"
  engine                     = "mysql"
  instance_class             = "db.t3.micro"
  allocated_storage          = 20
  publicly_accessible        = true
  backup_retention_period    = 1
  auto_minor_version_upgrade = false
}

# expect: none
resource "aws_rds_cluster" "good" {
  cluster_identifier                  = "corpus-good"
  engine                              = "aurora-postgresql"
  storage_encrypted                   = true
  deletion_protection                 = true
  backup_retention_period             = 14
  iam_database_authentication_enabled = true
}

# expect: aws-rds-cluster-encrypted, aws-rds-cluster-deletion-protection, aws-rds-cluster-backups, aws-rds-cluster-iam-auth
resource "aws_rds_cluster" "weak" {
  cluster_identifier      = "corpus-weak"
  engine                  = "aurora-mysql"
  backup_retention_period = 1
}

# expect: none
resource "aws_dynamodb_table" "good" {
  name                        = "corpus-good"
  hash_key                    = "id"
  billing_mode                = "PAY_PER_REQUEST"
  deletion_protection_enabled = true
  attribute {
    name = "id"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
}

# expect: aws-dynamodb-pitr, aws-dynamodb-cmk, aws-dynamodb-deletion-protection
resource "aws_dynamodb_table" "plain" {
  name         = "corpus-plain"
  hash_key     = "id"
  billing_mode = "PAY_PER_REQUEST"
  attribute {
    name = "id"
    type = "S"
  }
}

# expect: none
resource "aws_elasticache_replication_group" "good" {
  replication_group_id       = "corpus-good"
  description                = "good"
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
}

# expect: aws-elasticache-at-rest, aws-elasticache-in-transit
resource "aws_elasticache_replication_group" "plain" {
  replication_group_id = "corpus-plain"
  description          = "plain"
}

# expect: aws-redshift-encrypted, aws-redshift-public
resource "aws_redshift_cluster" "exposed" {
  cluster_identifier  = "corpus-exposed"
  node_type           = "ra3.xlplus"
  encrypted           = false
  publicly_accessible = true
}

# expect: none
resource "aws_opensearch_domain" "good" {
  domain_name = "corpus-good"
  encrypt_at_rest {
    enabled = true
  }
  node_to_node_encryption {
    enabled = true
  }
  domain_endpoint_options {
    enforce_https = true
  }
}

# expect: aws-opensearch-encrypted, aws-opensearch-node-to-node, aws-opensearch-https
resource "aws_opensearch_domain" "plain" {
  domain_name = "corpus-plain"
}
