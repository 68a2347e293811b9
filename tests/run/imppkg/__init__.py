print("imppkg init", __name__)
value = 10
