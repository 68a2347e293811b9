for i in range(3):
    try:
        break
    finally:
        print(i)
