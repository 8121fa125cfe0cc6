"""`python -m bench` (`make bench`): the performance harness. See docs/deploy.md for what it measures."""
