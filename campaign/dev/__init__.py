"""The embedded defaults of `make run` and the tests: a local Redis and a local SMTP sink."""
