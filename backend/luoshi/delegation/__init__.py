"""Delegation (代管): a substitute acts with the holder's rights for a period."""
