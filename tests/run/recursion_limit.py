def down(n):
    return down(n + 1)
try:
    down(0)
except RuntimeError as e:
    print("caught:", e)
def fine(n):
    return 0 if n == 0 else 1 + fine(n - 1)
print(fine(100))
