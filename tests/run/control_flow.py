total = 0
for i in range(10):
    if i % 2:
        continue
    if i > 7:
        break
    total += i
else:
    print("no break")
print(total)
n = 0
while n < 5:
    n += 1
else:
    print("while else", n)
for i in []:
    pass
else:
    print("empty for else")
x = 3
print("big" if x > 2 else "small", x > 1 and x < 5, x < 1 or x == 3)
i = 0
while True:
    i += 1
    if i == 4:
        break
print(i)
for a, b in [(1, 2), (3, 4)]:
    print(a + b, end=" ")
print()
