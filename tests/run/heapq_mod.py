# heapq: push/pop order, heapify, and errors.
import heapq

h = []
for x in [5, 1, 8, 3, 9, 2, 7, 2, 0, 6]:
    heapq.heappush(h, x)
print(h[0], len(h))
print([heapq.heappop(h) for _ in range(10)], h)
data = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, -1]
heapq.heapify(data)
print(data[0], [heapq.heappop(data) for _ in range(len(data))])
words = ["pear", "apple", "fig", "kiwi"]
heapq.heapify(words)
print([heapq.heappop(words) for _ in range(4)])
pairs = []
for p in [(2, "b"), (1, "z"), (2, "a"), (0, "q")]:
    heapq.heappush(pairs, p)
print([heapq.heappop(pairs) for _ in range(4)])
heapq.heapify([])
try:
    heapq.heappop([])
except IndexError as e:
    print("IndexError", e)
try:
    heapq.heappush((), 1)
except TypeError as e:
    print("TypeError", e)
try:
    heapq.heappush([1], "a")
except TypeError:
    print("TypeError compare")
