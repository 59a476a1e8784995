"""Subcommands of the jixiao CLI, one module each; every module defines ``register(sub)``."""
