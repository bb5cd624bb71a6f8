"""Small helpers that complaints, evaluations and trust all use: staff scope, masking, rates."""
