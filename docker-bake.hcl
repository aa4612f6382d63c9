# Images of the real Cartesi v1 stack for Trust-and-Teach (the embedded devnet of `pnpm dev` needs none of this).
#   docker buildx bake deployer                                   # the compose stack's deploy job
#   export TT_CONTRACT=$(docker run --rm trust-and-teach/deployer:devel address)
#   docker buildx bake dapp                                       # the machine's root filesystem, linux/riscv64
#   (cd dapp && cartesi build --from-image trust-and-teach/dapp:devel)
# Details: dapp/README.md.

variable "TAG" {
  default = "devel"
}

# The TrustAndTeach address the backend accepts prompts from and sends vouchers to; see the deployer's `address`.
variable "TT_CONTRACT" {
  default = ""
}

variable "MODEL_NAME" {
  default = "stories15M"
}

group "default" {
  targets = ["deployer", "dapp"]
}

target "_common" {
  context    = "."
  dockerfile = "dapp/Dockerfile"
  # into the local image store, where `cartesi build --from-image` and `docker compose` look for them
  output = ["type=docker"]
  args = {
    MODEL_NAME = "${MODEL_NAME}"
  }
}

# The Cartesi machine image: what `cartesi build --from-image` turns into .cartesi/image.
target "dapp" {
  inherits  = ["_common"]
  target    = "runtime"
  platforms = ["linux/riscv64"]
  args = {
    TT_CONTRACT = "${TT_CONTRACT}"
  }
  tags = ["trust-and-teach/dapp:${TAG}"]
}

# Deploys TrustAndTeach on the compose stack's chain and publishes the files the frontend reads.
target "deployer" {
  inherits = ["_common"]
  target   = "deployer"
  tags     = ["trust-and-teach/deployer:${TAG}"]
}
