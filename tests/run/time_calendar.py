# time: gmtime/localtime/mktime round trips and field normalisation, time()
# as a float.
import time

print(time.gmtime(0))
print(time.gmtime(1700000000))
print(time.gmtime(-1))
print(time.gmtime(951782400))
print(time.gmtime(4102444799))
print(time.localtime(86400 * 365))
print(time.mktime((2024, 2, 29, 12, 0, 0, 0, 0)))
print(time.mktime((2024, 14, 40, 25, 61, 61, 0, 0)))
print(time.mktime((1970, 1, 1, 0, 0, 0, 0, 0, 0)))
for t in (0, 1, 59, 86399, 951782400, 1234567890, 2147483647):
    print(t, time.mktime(time.gmtime(t)) == t)
print(type(time.time()).__name__, time.time() > 1600000000, type(time.time_ns()).__name__)
print(len(time.localtime()), time.localtime()[0] >= 2024)
try:
    time.mktime((2024, 1, 1))
except TypeError:
    print("TypeError")
