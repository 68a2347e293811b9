# random: ranges and types of every function, reseeding repeats a sequence,
# and the errors (values themselves differ from MicroPython's generator).
import random

random.seed(42)
a = [random.getrandbits(32) for _ in range(5)]
random.seed(42)
print(a == [random.getrandbits(32) for _ in range(5)])
random.seed()
print(all(0 <= random.getrandbits(8) < 256 for _ in range(200)), random.getrandbits(0))
print(all(0 <= random.randrange(10) < 10 for _ in range(200)))
print(all(5 <= random.randrange(5, 8) < 8 for _ in range(200)))
print(all(random.randrange(0, 20, 5) in (0, 5, 10, 15) for _ in range(200)))
print(all(random.randrange(10, 0, -3) in (10, 7, 4, 1) for _ in range(200)))
print(sorted(set(random.randint(1, 3) for _ in range(300))))
print(sorted(set(random.choice("abc") for _ in range(300))), random.choice([7]))
r = [random.random() for _ in range(300)]
print(all(0.0 <= x < 1.0 for x in r), type(r[0]).__name__, len(set(r)) > 290)
print(all(2.0 <= random.uniform(2, 3) <= 3.0 for _ in range(100)))
random.seed(7)
print(random.randint(100, 100))
for f, args in [(random.getrandbits, (33,)), (random.getrandbits, (-1,)), (random.randrange, (0,)),
                (random.randrange, (5, 5)), (random.randrange, (1, 5, 0)), (random.randint, (3, 1))]:
    try:
        f(*args)
    except ValueError:
        print("ValueError")
try:
    random.choice([])
except IndexError:
    print("IndexError")
