"""Loads a model file written by the Trainer into the same network defined in PyTorch and scores it on
the MNIST test set: proof that `torch.load` reads this project's mnist.pt as a plain state_dict.
usage: pytorch_eval.py MODEL.pt MNIST_ROOT"""
import os, sys, torch
from torchvision import datasets, transforms
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import project_cnn

model = project_cnn.load(sys.argv[1])
tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
test = torch.utils.data.DataLoader(datasets.MNIST(sys.argv[2], train=False, transform=tf), batch_size=1000)
with torch.no_grad():
    correct = sum((model(x).argmax(1) == y).sum().item() for x, y in test)
print(f"pytorch reads the project's mnist.pt: test_acc={correct / 100:.2f}%")
