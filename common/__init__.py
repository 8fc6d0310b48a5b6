"""Small helpers shared by every app (phones, pinyin search). Imports nothing of ours."""
