"""The OSDI API's domain: keys, idempotent writes and the OSDI shapes of petitions and signatures."""
