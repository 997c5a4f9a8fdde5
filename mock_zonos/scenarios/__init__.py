"""Scenario files: YAML that chains steps against a running mock-zonos, and checks the outcome."""
