café = 1
print(café)
s = "héllo ✓"
