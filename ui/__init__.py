"""Qt desktop client for Outreach Desk (the only layer that may import Qt)."""
