"""servicehall: service-hall quality management for utility and telecom customer service halls."""
