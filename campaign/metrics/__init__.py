"""Support metrics: the count fold, reading counts cheaply, and the regional breakdown."""
