"""Residents' evaluations (我要评议): submission, moderation, scores, figures and the 红黑榜."""
