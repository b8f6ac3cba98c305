# The storefront's static assets: a root stack that composes the storefront-edge module (its
# catalog entity, cartwheel-storefront-assets, depends on the module's through this call).
terraform {
  required_version = ">= 1.6.0"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.70" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

module "product_images" {
  source      = "../../modules/storefront-edge"
  bucket_name = "cartwheel-prod-product-images"
  public_read = true
  tags        = { System = "cartwheel-storefront", Owner = "cartwheel-engineering" }
}

module "fonts" {
  source      = "../../modules/storefront-edge"
  bucket_name = "cartwheel-prod-fonts"
  tags        = { System = "cartwheel-storefront", Owner = "cartwheel-engineering" }
}

output "product_images_bucket" {
  description = "The bucket product images are served from."
  value       = module.product_images.bucket_name
}
