"""Residents' reports (我要反映) and their closed loop: intake, workflow, tracking, public board, moderation."""
